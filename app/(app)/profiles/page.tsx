import { ProfileSearch } from '@/components/profiles/profile-search';
import { ProfileTable } from '@/components/profiles/profile-table';
import { Pager, pageParam } from '@/components/segments/pager';
import { PageHeader } from '@/components/ui/page-header';
import { requirePagePermission } from '@/lib/auth/session';
import { listCountries, searchProfiles } from '@/lib/profiles/queries';

export const metadata = { title: 'Profiles' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function ProfilesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePagePermission('app.view');
  const params = await searchParams;
  const q = one(params.q).trim();
  const country = one(params.country).trim();
  const [result, countries] = await Promise.all([searchProfiles({ q, country, page: pageParam(params.page) }), listCountries()]);
  return (
    <>
      <PageHeader title="Profiles" description="Customers with their attributes, computed metrics and segment tags." />
      <ProfileSearch q={q} country={country} countries={countries} />
      <ProfileTable profiles={result.rows} />
      <Pager page={result.page} pageCount={result.pageCount} total={result.total} basePath="/profiles" params={{ q, country }} noun="profile" />
    </>
  );
}
