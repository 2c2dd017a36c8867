// A job that throws a typed rxvds error, to check it keeps its class across the worker boundary.
import { InvalidArgumentError } from '../../src/model/errors.js';

export default function throwing(job: { kind: string; what: string }): never {
  throw new InvalidArgumentError(`throwingJob refuses ${job.what}`);
}
