/**
 * A small YAML writer for the configs Lookout generates: mappings, sequences, strings, numbers,
 * booleans and null. Every string is written double-quoted with JSON-style escapes (valid YAML
 * 1.1 and 1.2), so no value can be read back as another type (`"yes"`, `"1e3"`, `"null"`), and
 * nothing in a value (`#`, `: `, `{{ }}`, a newline) can change the document's structure.
 */
export function toYaml(value: unknown): string {
  const out: string[] = [];
  writeNode(value, 0, out);
  return `${out.join('\n')}\n`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// JSON.stringify leaves these raw; YAML 1.1 readers take U+0085, U+2028 and U+2029 as line breaks.
const EXTRA_ESCAPES = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

/** A YAML double-quoted scalar. */
export function yamlString(s: string): string {
  return JSON.stringify(s).replace(EXTRA_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function yamlKey(k: string): string {
  // Plain keys that YAML 1.1 would read as booleans or null are quoted too.
  return PLAIN_KEY.test(k) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(k) ? k : yamlString(k);
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return yamlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : String(v);
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : undefined;
  return yamlString(String(v));
}

function entries(v: object): Array<[string, unknown]> {
  return Object.entries(v).filter(([, x]) => x !== undefined);
}

function writeNode(v: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(v);
  if (s !== undefined) {
    out.push(`${pad}${s}`);
    return;
  }
  if (Array.isArray(v)) {
    for (const item of v) writeItem(item, indent, out);
    return;
  }
  for (const [k, x] of entries(v as object)) writeEntry(k, x, indent, out);
}

function writeEntry(k: string, x: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(x);
  if (s !== undefined) out.push(`${pad}${yamlKey(k)}: ${s}`);
  else {
    out.push(`${pad}${yamlKey(k)}:`);
    // Sequences under a key are indented like its mapping values, which every reader accepts.
    writeNode(x, indent + 2, out);
  }
}

function writeItem(item: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(item);
  if (s !== undefined) {
    out.push(`${pad}- ${s}`);
    return;
  }
  const start = out.length;
  writeNode(item, indent + 2, out);
  // Put the item's first line on the dash line.
  out[start] = `${pad}- ${out[start]!.slice(indent + 2)}`;
}
