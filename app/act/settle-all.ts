// Work started side by side is awaited to the end even when one part fails: nothing may still be
// running when a handler returns (a serverless host freezes it), and the first failure is reported.
export async function settleAll(work: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const results = await Promise.allSettled(work.filter((promise) => promise !== undefined));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}
