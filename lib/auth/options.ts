import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { requestContextFrom } from './request-context';
import { SignInThrottledError } from './sign-in-throttle';
import { verifyCredentials } from './users';

// Secure cookies whenever the public URL is https (next-auth's own rule, made explicit): the
// quick start on http://127.0.0.1 could not keep a Secure cookie. A production deployment is
// served over https, and then every cookie is Secure and gets the __Secure-/__Host- prefix.
const secureCookies = (process.env.NEXTAUTH_URL ?? '').startsWith('https://');

/** next-auth configuration: email + password sign-in, JWT sessions carrying only the user id. */
export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  // Errors land on our sign-in page, not next-auth's built-in one (whose inline styles the CSP refuses).
  pages: { signIn: '/signin', error: '/signin' },
  // next-auth's cookies are all HttpOnly and SameSite=Lax; Secure per the line above.
  useSecureCookies: secureCookies,
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        if (!credentials?.email || !credentials.password) return null;
        try {
          const user = await verifyCredentials(credentials.email, credentials.password, requestContextFrom(request?.headers ?? {}));
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        } catch (error) {
          // The throttle's message is meant for the user; next-auth hands a thrown message to the form.
          if (error instanceof SignInThrottledError) throw error;
          console.error('sign-in failed', error);
          throw new Error('Sign-in is not available right now. Try again shortly.');
        }
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
