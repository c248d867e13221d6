import { z } from 'zod';
import { parseOrThrow } from '../shared/validation.js';
import { uniqueKeys } from '../shared/zod-rules.js';

// Unknown keys are refused by name: a misspelt `noteRequiredOnFial` must not silently fall back to the default.
export const bilingual = z.strictObject(
  {
    'zh-CN': z.string({ error: 'expected Chinese text' }).trim().min(1, 'expected Chinese text').max(300),
    en: z.string({ error: 'expected English text' }).trim().min(1, 'expected English text').max(300),
  },
  { error: 'expected { zh-CN, en } texts' },
);

export const key = z
  .string({ error: 'expected a key' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'expected lowercase letters, digits, _ or - (at most 32)');

export const itemSchema = z.strictObject({
  key,
  text: bilingual,
  weight: z.number({ error: 'expected a positive number' }).positive('expected a positive number').max(1000),
  /** pass_fail: pass / fail / N.A.; scale_0_5: 0..5 with N.A. */
  scoring: z.enum(['pass_fail', 'scale_0_5'], { error: 'expected pass_fail or scale_0_5' }),
  noteRequiredOnFail: z.boolean({ error: 'expected true or false' }).default(true),
});

export const dimensionSchema = z.strictObject({
  key,
  name: bilingual,
  items: z.array(itemSchema, { error: 'expected a list of items' }).min(1, 'expected at least one item').max(30),
});

export const templateSchema = z
  .strictObject({
    key,
    name: bilingual,
    /** On a 0-5 item, this score or lower counts as failed and needs a finding. */
    failAtOrBelow: z
      .number({ error: 'expected a whole number 0-4' })
      .int('expected a whole number 0-4')
      .min(0)
      .max(4)
      .default(2),
    dimensions: z
      .array(dimensionSchema, { error: 'expected a list of dimensions' })
      .min(1, 'expected at least one dimension')
      .max(12),
  })
  .superRefine((tpl, ctx) => {
    const dims = uniqueKeys(ctx);
    tpl.dimensions.forEach((d, di) => {
      dims.add(d.key, ['dimensions', di, 'key']);
      const items = uniqueKeys(ctx);
      d.items.forEach((it, ii) => {
        items.add(it.key, ['dimensions', di, 'items', ii, 'key']);
      });
    });
  });

export type ChecklistTemplate = z.infer<typeof templateSchema>;
export type TemplateDimension = z.infer<typeof dimensionSchema>;
export type TemplateItem = z.infer<typeof itemSchema>;

export function parseTemplate(input: unknown): ChecklistTemplate {
  return parseOrThrow(templateSchema, input);
}
