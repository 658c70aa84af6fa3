import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form';

/** A plain GET form: the search lives in the URL, so results can be linked and paged. */
export function ProfileSearch({ q, country, countries }: { q: string; country: string; countries: string[] }) {
  return (
    <form method="get" action="/profiles" className="mb-4 flex flex-wrap items-end gap-2" role="search">
      <label className="flex-1 min-w-64">
        <span className="sr-only">Search</span>
        <Input type="search" name="q" defaultValue={q} placeholder="Customer id, email or country" data-testid="profile-search" maxLength={200} />
      </label>
      <label>
        <span className="sr-only">Country</span>
        <Select name="country" defaultValue={country} data-testid="profile-country" className="w-56">
          <option value="">All countries</option>
          {countries.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}
