import Link from 'next/link';

export const metadata = { title: 'Not allowed' };

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-sm text-slate-600">Your role does not give access to this page. Ask an administrator if you need it.</p>
      <Link href="/segments" className="mt-6 inline-block text-sm font-medium text-brand-600">
        Back to segments
      </Link>
    </main>
  );
}
