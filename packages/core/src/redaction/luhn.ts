/**
 * Luhn (mod 10) checksum of a string of digits, as card numbers carry. Returns `false` for
 * anything that is not 1+ ASCII digits.
 */
export function passesLuhn(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    let v = double ? d * 2 : d;
    if (v > 9) v -= 9;
    sum += v;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether `digits` looks like a payment card number: 13–19 digits, a prefix that a card brand
 * issues from (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover/UnionPay 6,
 * JCB/Diners 3), and a valid Luhn checksum. The prefix check keeps Luhn's one-in-ten false
 * positives off ordinary numbers such as millisecond timestamps (which start with 1).
 */
export function isLikelyCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first === 2) {
    const four = Number(digits.slice(0, 4));
    if (four < 2221 || four > 2720) return false;
  } else if (first < 3 || first > 6) {
    return false;
  }
  return passesLuhn(digits);
}
