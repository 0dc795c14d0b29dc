/** A job that cannot be exported as asked (unknown model, a prompt of the wrong width, ...): one sentence with the numbers. */
export class JobError extends Error {
  override name = 'JobError';
}
