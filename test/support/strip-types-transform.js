// Jest transformer that runs our sources exactly as Node 24 does: types are erased by Node's own
// stripper (whitespace replacement keeps every line and column, so no source map is needed).
import { stripTypeScriptTypes } from 'node:module';

export default {
  process(source, path) {
    if (!path.endsWith('.ts')) return { code: source };
    return { code: stripTypeScriptTypes(source, { mode: 'strip', sourceUrl: path }) };
  },
};
