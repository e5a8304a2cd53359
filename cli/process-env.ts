// The engine's tool stages inherit this process's environment: a command that must give them
// variables (the check command, the Node to use, the twins' URLs) sets them here for the length
// of the work, then puts the previous values back.
export async function withProcessEnv<T>(patch: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(patch).map((key) => [key, process.env[key]]));
  Object.assign(process.env, patch);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
