// A process where the optional bullmq package is not installed: `node --import` this module and
// every import of 'bullmq' fails as Node fails for a package that is missing.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier !== 'bullmq') return next(specifier, context);
  const error = new Error("Cannot find package 'bullmq' imported from " + context.parentURL);
  error.code = 'ERR_MODULE_NOT_FOUND';
  throw error;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
