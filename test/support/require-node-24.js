// The project runs on Node 24 from the `node` devDependency; fail loudly if the tests run on anything else.
export default function requireNode24() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(`tests need Node >= 24 (got ${process.version}); run them with "npm test" after "npm ci"`);
  }
}
