// The legacy `VDSObject` text of older `.vds` files (format sheet 6.2):
//   CreateObj("Type", "ChildList", id) { key=value; key: { … } CreateObj(…) { … } … }
// Values are numbers, quoted strings or BLOBs `N:<byteCount>:<hex>`. A sub-object may also be a
// counted list `{ n, { … }, { … } }`; a nested CreateObj with a child-list name is appended to
// that list of the root object, one without is merged into the root.
import { ReadError } from '../../src/model/errors.js';

/** A number token, kept as written: integers may exceed 2^53 (e.g. channel mapping ids). */
export class VdsObjectNumber {
  constructor(readonly text: string, readonly fractional: boolean) {}
  get value(): number { return Number(this.text); }
}

/** The hex digits of a BLOB value. */
export class VdsObjectBlob {
  constructor(readonly hex: string) {}
}

export type VdsObjectValue = string | VdsObjectNumber | VdsObjectBlob | VdsObject | VdsObject[];
export type VdsObject = Map<string, VdsObjectValue>;

const CREATE_OBJECT = 'CreateObj';
const SINGLE_CHARACTER_TOKENS = '{},.=;|!#%&/()';

type TokenKind = 'symbol' | 'number' | 'string' | 'word';

interface Token {
  kind: TokenKind;
  text: string;
  /** Quoted strings: the unescaped content; numbers: whether it has a fraction or exponent. */
  value?: string;
  fractional?: boolean;
  start: number;
}

/** A VDSObject text that does not parse (a corrupt legacy layout). */
export class VdsObjectSyntaxError extends ReadError {
  override name = 'VdsObjectSyntaxError';
}

class Tokenizer {
  position = 0;
  constructor(readonly text: string) {}

  next(): Token | undefined {
    const { text } = this;
    while (this.position < text.length && /\s/.test(text[this.position]!)) this.position++;
    if (this.position >= text.length || text[this.position] === '\0') return undefined;
    const start = this.position;
    const c = text[start]!;
    if (c === ':') {
      this.position += text[start + 1] === ':' ? 2 : 1;
      return { kind: 'symbol', text: text.slice(start, this.position), start };
    }
    if (SINGLE_CHARACTER_TOKENS.includes(c)) {
      this.position++;
      return { kind: 'symbol', text: c, start };
    }
    if (c === '-' && text[start + 1] === '>') {
      this.position += 2;
      return { kind: 'symbol', text: '->', start };
    }
    if (c === '"') return this.quoted(start);
    const number = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(start, start + 400));
    if (number && (/\d/.test(c) || /\d/.test(text[start + 1] ?? ''))) {
      this.position += number[0].length;
      return { kind: 'number', text: number[0], fractional: number[1] !== undefined || number[2] !== undefined, start };
    }
    if (c === '-' || c === '+') {
      this.position++;
      return { kind: 'symbol', text: c, start };
    }
    this.position++;
    while (this.position < text.length && /[A-Za-z0-9_.[\]]/.test(text[this.position]!)) this.position++;
    return { kind: 'word', text: text.slice(start, this.position), start };
  }

  private quoted(start: number): Token {
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= this.text.length || this.text[i] === '\0') throw new VdsObjectSyntaxError(`unterminated string at ${this.where(start)}`);
      const c = this.text[i]!;
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (i >= this.text.length) throw new VdsObjectSyntaxError(`unterminated string at ${this.where(start)}`);
      }
      value += this.text[i];
      i++;
    }
    this.position = i + 1;
    return { kind: 'string', text: this.text.slice(start, this.position), value, start };
  }

  where(offset: number): string {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
  }
}

class Parser {
  private readonly tokens: Tokenizer;
  private token: Token | undefined;
  readonly root: VdsObject = new Map();

  constructor(text: string) {
    this.tokens = new Tokenizer(text);
    this.token = this.tokens.next();
  }

  parseDocument(): VdsObject {
    this.objectDescription();
    this.expect('{');
    while (!this.is('}')) {
      if (this.isWord(CREATE_OBJECT)) this.childObject();
      else this.keyValue(this.root);
    }
    this.advance();
    return this.root;
  }

  private childObject(): void {
    const childList = this.objectDescription();
    const target: VdsObject = childList === '' ? this.root : new Map();
    this.keyValueBody(target);
    if (childList === '') return;
    const list = this.root.get(childList) ?? [];
    if (!Array.isArray(list)) throw this.error(`"${childList}" is both a value and a child list`);
    list.push(target);
    this.root.set(childList, list);
  }

  /** `CreateObj("Type", "ChildList", id)`: returns the child-list name. */
  private objectDescription(): string {
    if (!this.isWord(CREATE_OBJECT)) throw this.error(`expected ${CREATE_OBJECT}`);
    this.advance();
    this.expect('(');
    this.quotedString('an object type name');
    this.expect(',');
    const childList = this.quotedString('a child-list name');
    this.expect(',');
    if (this.token?.kind !== 'number' || !/^\d+$/.test(this.token.text)) throw this.error('expected a positive object id');
    this.advance();
    this.expect(')');
    return childList;
  }

  private keyValueBody(target: VdsObject): void {
    this.expect('{');
    while (!this.is('}')) this.keyValue(target);
    this.advance();
  }

  private keyValue(target: VdsObject): void {
    const key = this.token;
    if (key?.kind !== 'word' && key?.kind !== 'number') throw this.error('expected a key');
    if (!/^[A-Za-z0-9_]+$/.test(key.text)) throw this.error(`invalid key "${key.text}"`);
    this.advance();
    if (this.is('=')) {
      this.advance();
      const value = this.value();
      if (value !== undefined) target.set(key.text, value);
      this.expect(';');
    } else if (this.is(':')) {
      this.advance();
      target.set(key.text, this.subObject());
    } else {
      throw this.error(`expected "=" or ":" after key "${key.text}"`);
    }
  }

  /** `{ key…}` or the counted list `{ n, {…}, … }`. */
  private subObject(): VdsObject | VdsObject[] {
    this.expect('{');
    if (this.token?.kind === 'number' && /^\d+$/.test(this.token.text) && Number(this.token.text) > 0) {
      const count = Number(this.token.text);
      this.advance();
      const list: VdsObject[] = [];
      for (let i = 0; i < count; i++) {
        this.expect(',');
        const element: VdsObject = new Map();
        this.keyValueBody(element);
        list.push(element);
      }
      this.expect('}');
      return list;
    }
    const object: VdsObject = new Map();
    while (!this.is('}')) this.keyValue(object);
    this.advance();
    return object;
  }

  /** A value; undefined for an empty BLOB, which OpenVDS leaves unset. */
  private value(): VdsObjectValue | undefined {
    const token = this.token;
    if (!token) throw this.error('expected a value');
    if (token.kind === 'word' && token.text === 'N' && this.tokens.text[this.tokens.position] === ':') return this.blob();
    if (token.kind === 'number') {
      this.advance();
      return new VdsObjectNumber(token.text, token.fractional!);
    }
    if (token.kind === 'string') {
      this.advance();
      return token.value!;
    }
    throw this.error(`expected a number, string or BLOB, got "${token.text}"`);
  }

  private blob(): VdsObjectBlob | undefined {
    this.advance();
    this.expect(':');
    if (this.token?.kind !== 'number' || !/^\d+$/.test(this.token.text)) throw this.error('expected the byte count of a BLOB');
    const byteCount = Number(this.token.text);
    this.advance();
    if (!this.is(':')) throw this.error('expected ":" after the byte count of a BLOB');
    // The hex digits follow the colon directly; they are not tokens.
    const start = this.tokens.position;
    const hex = this.tokens.text.slice(start, start + 2 * byteCount);
    if (hex.length !== 2 * byteCount) throw this.error(`BLOB of ${byteCount} bytes is cut off`);
    if (!/^[0-9A-Fa-f]*$/.test(hex)) throw this.error(`BLOB of ${byteCount} bytes holds characters that are not hex digits`);
    this.tokens.position = start + hex.length;
    this.advance();
    return byteCount === 0 ? undefined : new VdsObjectBlob(hex);
  }

  private quotedString(what: string): string {
    if (this.token?.kind !== 'string') throw this.error(`expected ${what} in quotes`);
    const value = this.token.value!;
    this.advance();
    return value;
  }

  private is(symbol: string): boolean {
    return this.token?.kind === 'symbol' && this.token.text === symbol;
  }

  private isWord(word: string): boolean {
    return this.token?.kind === 'word' && this.token.text === word;
  }

  private expect(symbol: string): void {
    if (!this.is(symbol)) throw this.error(`expected "${symbol}"`);
    this.advance();
  }

  private advance(): void {
    this.token = this.tokens.next();
  }

  private error(problem: string): VdsObjectSyntaxError {
    const token = this.token;
    if (!token) return new VdsObjectSyntaxError(`${problem}, but the text ended`);
    return new VdsObjectSyntaxError(`${problem} at ${this.tokens.where(token.start)} (found "${token.text.slice(0, 40)}")`);
  }
}

/** Parses a VDSObject text into its root object; throws VdsObjectSyntaxError with the position. */
export function parseVdsObject(text: string): VdsObject {
  return new Parser(text).parseDocument();
}
