import type { Metadata } from 'next';
import { parsePathId } from '@/lib/audiences/ids';
import { accessDenial, type Permission } from '@/lib/auth/permissions';
import { getCurrentUser } from '@/lib/auth/session';

/**
 * generateMetadata for a page about one entity: its name in the tab title, but only for someone
 * signed in who may open the page (metadata is rendered apart from the page's own check, so it
 * checks too); everyone else, and an unknown id, gets the generic title.
 */
export async function entityMetadata(
  rawId: string,
  permission: Permission,
  generic: string,
  titleOf: (id: number) => Promise<string | null | undefined>,
): Promise<Metadata> {
  const id = parsePathId(rawId);
  if (id === null) return { title: generic };
  const user = await getCurrentUser();
  if (!user || accessDenial(user, permission)) return { title: generic };
  return { title: (await titleOf(id)) ?? generic };
}
