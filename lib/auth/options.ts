import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { verifyCredentials } from './users';

/** next-auth configuration: email + password sign-in, JWT sessions carrying only the user id. */
export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/signin' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        if (!credentials?.email || !credentials.password) return null;
        const user = await verifyCredentials(credentials.email, credentials.password);
        return user ? { id: String(user.id), email: user.email, name: user.name } : null;
      },
    }),
  ],
  callbacks: {
    // Role and active flag are deliberately not kept in the token: they are read from the
    // database on every request (lib/auth/session.ts), so a change applies at once.
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.authTime = Date.now(); // compared with users.sessions_valid_from
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.sub, authTime: token.authTime });
      return session;
    },
  },
};
