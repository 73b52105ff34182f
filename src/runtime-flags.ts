import { setFlagsFromString } from 'node:v8';

/**
 * V8's allocation-site pretenuring allocates objects from sites whose objects
 * tended to survive a scavenge straight into the old generation. Under
 * concurrent requests it guesses wrong: a request's objects outlive a scavenge
 * only because twenty others are in flight, so short-lived garbage went to the
 * old generation at ~40 MB/s, the heap grew to ~290 MB between full GCs, and
 * the full GCs cost CPU. Measured with GET /api/me at 20 connections (npm run
 * bench, Node 20): off, peak RSS 155 MB instead of 286 MB and ~15% more
 * requests per second. This flag is read at run time by the GC, so setting it
 * here, first thing in main.ts, works however the process is started; the
 * young generation's size, read only at start, is in `npm run start:prod`.
 */
setFlagsFromString('--no-allocation-site-pretenuring');
