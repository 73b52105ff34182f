import { BadRequestException } from '@nestjs/common';

/**
 * Strong entity tags for versioned resources (RFC 9110 §8.8.3): `"<version>"`.
 * Every write of a task or product bumps its version, and ids are never reused,
 * so equal tags on one URL mean byte-identical representations.
 */
export function entityTag(version: number): string {
  return `"${version}"`;
}

/** The 412 message: the client's copy is stale. */
export const VERSION_MISMATCH = 'If-Match does not match the current ETag: the resource has changed';

/** An `If-Match` / `If-None-Match` value: `*`, or the list of tags it names. */
export type EntityTagCondition = { any: true } | { any: false; tags: Array<{ weak: boolean; opaque: string }> };

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3).
const TAG = /^\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/;

/**
 * Parses a conditional header; undefined when absent. Hand-written because the
 * well-kept parsers (`fresh`, `etag`) only answer "is it fresh?" for GET, while
 * If-Match needs the versions themselves to put in the UPDATE's WHERE.
 */
export function parseEntityTags(header: string | string[] | undefined, name: string): EntityTagCondition | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*') return { any: true };
  const tags: Array<{ weak: boolean; opaque: string }> = [];
  let rest = value;
  while (rest.length > 0) {
    const match = TAG.exec(rest);
    if (!match) throw new BadRequestException(`${name} must be "*" or a list of entity tags such as "3"`);
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    rest = rest.slice(match[0].length).replace(/^\s*,?\s*/, '');
  }
  if (tags.length === 0) throw new BadRequestException(`${name} must be "*" or a list of entity tags such as "3"`);
  return { any: false, tags };
}

/**
 * The versions an `If-Match` allows, or undefined for "any" (absent or `*`).
 * If-Match compares strongly (RFC 9110 §13.1.1): weak tags and tags this
 * service never issued match nothing, so the list may come back empty.
 */
export function matchingVersions(condition: EntityTagCondition | undefined): number[] | undefined {
  if (!condition || condition.any) return undefined;
  return condition.tags
    .filter((t) => !t.weak && /^[1-9][0-9]{0,9}$/.test(t.opaque))
    .map((t) => Number(t.opaque))
    .filter((v) => v <= 2_147_483_647);
}

/** Whether `If-None-Match` names the current tag (weak comparison, RFC 9110 §13.1.2). */
export function noneMatchHits(condition: EntityTagCondition | undefined, version: number): boolean {
  if (!condition) return false;
  if (condition.any) return true;
  return condition.tags.some((t) => t.opaque === String(version));
}
