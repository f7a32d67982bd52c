/**
 * Luhn (mod 10) checksum of a string of digits, as card numbers carry. Returns `false` for
 * anything that is not 1+ ASCII digits.
 */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length; i-- > 0; ) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    // Every second digit from the right is doubled (and 9 taken off when that makes two digits).
    const v = (digits.length - i) % 2 ? d : d * 2;
    sum += v > 9 ? v - 9 : v;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** 13–19 digits starting with a prefix card brands issue from (see {@link isLikelyCardNumber}). */
const CARD_SHAPE_PATTERN = /^(?:[3-6]\d{12,18}|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)\d{9,15})$/;

/**
 * Whether `digits` looks like a payment card number: 13–19 digits, a prefix that a card brand
 * issues from (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover/UnionPay 6,
 * JCB/Diners 3), and a valid Luhn checksum. The prefix check keeps Luhn's one-in-ten false
 * positives off ordinary numbers such as millisecond timestamps (which start with 1).
 */
export function isLikelyCardNumber(digits: string): boolean {
  return CARD_SHAPE_PATTERN.test(digits) && passesLuhn(digits);
}
