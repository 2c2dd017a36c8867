// The error classes: one RxvdsError base, OpenVDS's codes, the subclass relations callers catch by,
// and the isRxvdsError guard.
import { expect } from 'chai';
import * as vds from '../src/index.js';

describe('rxvds errors', () => {
  it('every class is an RxvdsError with its name and OpenVDS code, under the parents callers catch', () => {
    const cases: [Error, string, number, Function[]][] = [
      [new vds.InvalidArgumentError('bad'), 'InvalidArgumentError', -1, [vds.RxvdsError]],
      [new vds.InvalidOperationError('not now'), 'InvalidOperationError', -1, [vds.RxvdsError]],
      [new vds.ReadError('unreadable', 503), 'ReadError', 503, [vds.RxvdsError]],
      [new vds.StoreError('unavailable', 503), 'StoreError', 503, [vds.ReadError, vds.RxvdsError]],
      [new vds.NotFoundError('missing'), 'NotFoundError', 404, [vds.StoreError, vds.ReadError, vds.RxvdsError]],
      [new vds.WriteError('refused', 403), 'WriteError', 403, [vds.StoreError, vds.ReadError, vds.RxvdsError]],
      [new vds.ChunkFormatError('bad header', 100), 'ChunkFormatError', 100, [vds.ReadError, vds.RxvdsError]],
      [new vds.SegyFormatError('f.sgy: truncated'), 'SegyFormatError', -1, [vds.ReadError, vds.RxvdsError]],
      [new vds.CanceledError(), 'CanceledError', -2, [vds.RxvdsError]],
    ];
    for (const [error, name, code, parents] of cases) {
      expect(error, name).to.be.instanceOf(Error);
      expect(error.name).to.equal(name);
      expect((error as vds.RxvdsError).code, name).to.equal(code);
      for (const parent of parents) expect(error, `${name} is a ${parent.name}`).to.be.instanceOf(parent);
    }
    // Siblings stay apart: a write failure is not a missing object, a SEG-Y format error no chunk error.
    expect(new vds.WriteError('w')).not.to.be.instanceOf(vds.NotFoundError);
    expect(new vds.SegyFormatError('s')).not.to.be.instanceOf(vds.ChunkFormatError);
    expect(new vds.CanceledError()).not.to.be.instanceOf(vds.ReadError);
    expect(new vds.CanceledError().message).to.equal('Request was canceled');
  });

  it('keeps the cause it is given', () => {
    const cause = new Error('EACCES');
    expect(new vds.WriteError('Cannot write k', -1, { cause }).cause).to.equal(cause);
    expect(new vds.NotFoundError('Cannot open f.sgy', { cause }).cause).to.equal(cause);
    expect(new vds.SegyFormatError('f.sgy: bad', { cause }).cause).to.equal(cause);
    expect(new vds.InvalidArgumentError('bad', { cause }).cause).to.equal(cause);
  });

  it('isRxvdsError tells rxvds errors, or one class of them, from anything else', () => {
    const missing: unknown = new vds.NotFoundError('Cannot open s3://b/ds: no such object');
    expect(vds.isRxvdsError(missing)).to.equal(true);
    expect(vds.isRxvdsError(missing, vds.StoreError)).to.equal(true);
    expect(vds.isRxvdsError(missing, vds.WriteError)).to.equal(false);
    if (vds.isRxvdsError(missing, vds.NotFoundError)) expect(missing.code).to.equal(404);
    for (const other of [new Error('plain'), new TypeError('bug'), { code: 404, message: 'look-alike' }, 'text', undefined]) {
      expect(vds.isRxvdsError(other), String(other)).to.equal(false);
    }
  });
});
