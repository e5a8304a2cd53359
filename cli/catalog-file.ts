// `--catalog <file>`: the user's model catalog, read with located JSON errors like every CLI input.
import { catalogFileSchema, type CatalogFile } from '../core/agent/llm/catalog.ts';
import { readJsonFile } from './json-file.ts';

export function loadCliCatalog(path: string): CatalogFile {
  return readJsonFile(path, catalogFileSchema, 'a model catalog (--catalog)');
}
