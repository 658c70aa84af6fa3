/**
 * proxy.ts copies the request's pathname into this header, because server components are not
 * told which page they render; requirePagePermission needs it to leave /account reachable while
 * a password change is pending. Kept free of server imports so the proxy bundle stays small.
 */
export const PATHNAME_HEADER = 'x-tagwise-pathname';

export const PASSWORD_CHANGE_PATH = '/account';

export function isPasswordChangePath(pathname: string): boolean {
  return pathname === PASSWORD_CHANGE_PATH || pathname.startsWith(`${PASSWORD_CHANGE_PATH}/`);
}
