// A job module without a default export, to check the worker's message.
export const notAHandler = 1;
