export enum Role {
  User = 'user',
  Admin = 'admin',
}
export const ROLES = Object.values(Role);
