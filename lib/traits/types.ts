import type { ValueType } from '../rules/fields';

/** The types a trait's values are read as; client-safe (no database imports), for forms. */
export const TRAIT_TYPES = ['text', 'number', 'date', 'boolean'] as const satisfies readonly ValueType[];
