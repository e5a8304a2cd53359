// Extracts a zip archive (a workflow artifact) into a directory: stored and deflated entries, read
// through the central directory; entries that would land outside the directory are refused.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ActionError } from './errors.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

export interface ZipEntry {
  name: string;
  data: Buffer;
}

function endRecordOffset(zip: Buffer): number {
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new ActionError('git', 'artifact is not a zip archive (no end of central directory)');
}

/** The archive's files (directories left out). Pure. */
export function readZip(zip: Buffer): ZipEntry[] {
  const end = endRecordOffset(zip);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_ENTRY) throw new ActionError('git', 'artifact zip: damaged central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (zip.readUInt32LE(localOffset) !== LOCAL_ENTRY) throw new ActionError('git', `artifact zip: damaged entry ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) entries.push({ name, data: Buffer.from(raw) });
    else if (method === 8) entries.push({ name, data: inflateRawSync(raw) });
    else throw new ActionError('git', `artifact zip: entry ${name} uses compression method ${method}, expected stored or deflate`);
  }
  return entries;
}

export function extractZip(zip: Buffer, into: string): string[] {
  const root = resolve(into);
  const written: string[] = [];
  for (const entry of readZip(zip)) {
    const target = resolve(root, entry.name);
    if (!target.startsWith(root + sep)) throw new ActionError('git', `artifact zip: entry ${entry.name} points outside the run directory`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.data);
    written.push(entry.name);
  }
  return written;
}
