import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';
/** Opens a route to anonymous callers; every other route needs an access token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
