// SEG-Y textual headers: EBCDIC or ASCII detection and conversion to readable text.

export enum TextEncoding {
  EBCDIC = 'EBCDIC',
  ASCII = 'ASCII',
}

/** OpenVDS's rule: a header with more EBCDIC spaces (0x40) than ASCII spaces (0x20) is EBCDIC. */
export function detectTextEncoding(header: Uint8Array): TextEncoding {
  let ascii = 0;
  let ebcdic = 0;
  const length = Math.min(header.length, 3200);
  for (let i = 0; i < length; i++) {
    if (header[i] === 0x20) ascii++;
    else if (header[i] === 0x40) ebcdic++;
  }
  return ebcdic > ascii ? TextEncoding.EBCDIC : TextEncoding.ASCII;
}

/** The printable characters of code page 037 (the SEG-Y EBCDIC), by runs of consecutive codes. */
const ebcdicRuns: ReadonlyArray<readonly [number, string]> = [
  [0x40, ' '], [0x4a, '¢.<(+|&'], [0x5a, '!$*);¬-/'], [0x6a, '¦,%_>?'], [0x79, '`:#@\'="'],
  [0x81, 'abcdefghi'], [0x91, 'jklmnopqr'], [0xa1, '~stuvwxyz'], [0xb0, '^'], [0xba, '[]'],
  [0xc0, '{ABCDEFGHI'], [0xd0, '}JKLMNOPQR'], [0xe0, '\\'], [0xe2, 'STUVWXYZ'], [0xf0, '0123456789'],
];

const ebcdicToChar: readonly string[] = (() => {
  const table = new Array<string>(256).fill(' ');
  for (const [start, chars] of ebcdicRuns) [...chars].forEach((c, i) => { table[start + i] = c; });
  return table;
})();

const charToEbcdic: ReadonlyMap<string, number> = new Map(ebcdicToChar.map((c, code) => [c, code] as const).filter(([c, code]) => c !== ' ' || code === 0x40));

/** The header as text, one line per `columns` characters (non-printable bytes become spaces). */
export function textHeaderToString(header: Uint8Array, encoding = detectTextEncoding(header), columns = 80): string {
  const chars = Array.from(header, (b) => (encoding === TextEncoding.EBCDIC ? ebcdicToChar[b]! : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ' '));
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += columns) lines.push(chars.slice(i, i + columns).join('').trimEnd());
  return lines.join('\n');
}

/** A 3200-byte textual header from text lines (padded or cut to 40 lines of 80 columns). */
export function textHeaderFromString(text: string, encoding: TextEncoding = TextEncoding.EBCDIC): Uint8Array {
  const header = new Uint8Array(3200);
  const lines = text.split('\n');
  for (let line = 0; line < 40; line++) {
    const content = (lines[line] ?? '').padEnd(80).slice(0, 80);
    for (let column = 0; column < 80; column++) {
      const c = content[column]!;
      header[line * 80 + column] = encoding === TextEncoding.EBCDIC ? charToEbcdic.get(c) ?? 0x6f : c.charCodeAt(0) < 0x7f ? c.charCodeAt(0) : 0x3f;
    }
  }
  return header;
}

/** Whether an extended textual header is the end stanza "((SEG: EndText))" that closes a variable-count list. */
export function isEndTextStanza(header: Uint8Array): boolean {
  return textHeaderToString(header, detectTextEncoding(header)).replace(/\s+/g, '').toUpperCase().includes('((SEG:ENDTEXT))');
}
