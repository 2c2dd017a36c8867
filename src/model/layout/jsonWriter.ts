// JSON text as OpenVDS's jsoncpp writes it: 4-space indentation, object keys sorted, floating-point
// members with a decimal point (4500.0) and non-finite floats as null.

/** Marks a number that jsoncpp holds as a double. */
export class JsonDouble {
  constructor(readonly value: number) {}
}

export type JsonOut = string | number | boolean | null | JsonDouble | JsonOut[] | { [key: string]: JsonOut | undefined };

export function writeJson(value: JsonOut): string {
  return write(value, '');
}

function write(value: JsonOut, indent: string): string {
  if (value instanceof JsonDouble) return doubleText(value.value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + write(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${write(value[k]!, inner)}`).join(',\n')}\n${indent}}`;
}

function doubleText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}
