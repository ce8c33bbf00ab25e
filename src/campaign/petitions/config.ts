import { z } from "zod";

/**
 * The petitions' settings, from the environment (validated with zod). Defaults
 * are protective; a benchmark raises the limits through the environment.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | OVERSIGHT_PETITION_ADDRESS_LIMIT | 10 | signing attempts per client address (IPv4, or IPv6 /64) per petition per window |
 * | OVERSIGHT_PETITION_NETWORK_LIMIT | 60 | signing attempts per network (IPv4 /24, IPv6 /48) per petition per window |
 * | OVERSIGHT_PETITION_LIMIT_WINDOW_S | 600 | the rate-limit window, seconds (sliding) |
 * | OVERSIGHT_PETITION_BATCH_MS | 4 | how long an idle batcher waits to collect a batch |
 * | OVERSIGHT_PETITION_BATCH_MAX | 500 | most signatures and confirmations written in one transaction |
 * | OVERSIGHT_PETITION_QUEUE_MAX | 20000 | waiting writes before new ones are refused with 503 |
 * | OVERSIGHT_PETITION_LIVE_MS | 1000 | how often the live count is read and pushed |
 * | OVERSIGHT_PETITION_PAGE_CACHE_MS | 1000 | how long a petition page's data (text, counts, listed signers) is reused; concurrent loads share one read |
 * | OVERSIGHT_PETITION_STREAMS_PER_ADDRESS | 20 | open live-count streams per client address |
 * | OVERSIGHT_PETITION_ANONYMISE_DAYS | 90 | days after a petition closes before signer data is wiped |
 * | OVERSIGHT_PETITION_FORM_MAX_AGE_H | 24 | how long a petition page's form token stays valid |
 */
export const petitionSettingsSchema = z.object({
  addressLimit: z.coerce.number().int().positive(),
  networkLimit: z.coerce.number().int().positive(),
  limitWindowSeconds: z.coerce.number().int().positive(),
  batchDelayMs: z.coerce.number().int().min(0).max(1000),
  batchMax: z.coerce.number().int().min(1).max(5000),
  queueMax: z.coerce.number().int().min(1),
  liveIntervalMs: z.coerce.number().int().min(50),
  pageCacheMs: z.coerce.number().int().min(0),
  streamsPerAddress: z.coerce.number().int().positive(),
  anonymiseAfterDays: z.coerce.number().min(0),
  anonymiseIntervalMs: z.coerce.number().int().min(1000),
  formMaxAgeHours: z.coerce.number().positive(),
});
export type PetitionSettings = z.infer<typeof petitionSettingsSchema>;

export function loadPetitionSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<PetitionSettings> = {}): PetitionSettings {
  const parsed = petitionSettingsSchema.safeParse({
    addressLimit: env.OVERSIGHT_PETITION_ADDRESS_LIMIT || 10,
    networkLimit: env.OVERSIGHT_PETITION_NETWORK_LIMIT || 60,
    limitWindowSeconds: env.OVERSIGHT_PETITION_LIMIT_WINDOW_S || 600,
    batchDelayMs: env.OVERSIGHT_PETITION_BATCH_MS || 4,
    batchMax: env.OVERSIGHT_PETITION_BATCH_MAX || 500,
    queueMax: env.OVERSIGHT_PETITION_QUEUE_MAX || 20_000,
    liveIntervalMs: env.OVERSIGHT_PETITION_LIVE_MS || 1000,
    pageCacheMs: env.OVERSIGHT_PETITION_PAGE_CACHE_MS ?? 1000,
    streamsPerAddress: env.OVERSIGHT_PETITION_STREAMS_PER_ADDRESS || 20,
    anonymiseAfterDays: env.OVERSIGHT_PETITION_ANONYMISE_DAYS || 90,
    anonymiseIntervalMs: env.OVERSIGHT_PETITION_ANONYMISE_INTERVAL_MS || 3_600_000,
    formMaxAgeHours: env.OVERSIGHT_PETITION_FORM_MAX_AGE_H || 24,
    ...overrides,
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid petition setting "${first.path.join(".")}": ${first.message}`);
  }
  return parsed.data;
}
