/** Recognisable by secret scanners (GitHub secret scanning, gitleaks, trufflehog): a fixed prefix, then hex. */
export const PAT_PREFIX = 'tapi_pat_';

/** True when a bearer credential is meant to be a personal access token (then the PAT strategy judges it). */
export const looksLikePat = (credential: string) => credential.startsWith(PAT_PREFIX);
