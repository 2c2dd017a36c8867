// Values quoted in the errors of a corrupt layout or LayerStatus: a member may hold anything (a
// megabyte string, arrays nested too deep to print), so quotes are JSON, cut short.

const MAX_CHARS = 60;

export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a deeply nested array' : 'a deeply nested object';
  }
  // Non-finite numbers print as null in JSON.
  if (typeof value === 'number') text = String(value);
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
}
