// A run's spend, written into the `factory` check's external_id when the Action concludes it, so
// the App can hold the feedback loop to factory.budget's max_usd and max_minutes across rounds. Pure.
import { decodeExternalId, encodeExternalId } from '../domain/checks.ts';

export interface Spend {
  usd: number;
  minutes: number;
}

/**
 * The check's external_id with `spent` set (replaced, not added to: one check is one job), or null
 * when the check carries no external_id of ours to extend.
 */
export function externalIdWithSpend(externalId: string | null | undefined, spend: Spend): string | null {
  const decoded = decodeExternalId(externalId);
  if (decoded === null) return null;
  const usd = Math.max(0, Math.round(spend.usd * 1e6) / 1e6);
  const minutes = Math.max(0, Math.round(spend.minutes * 100) / 100);
  return encodeExternalId({ ...decoded, spent: { usd, minutes } });
}
