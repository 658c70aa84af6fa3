/**
 * `npm run admin:reset-password -- <email>`: for whoever runs the server and has lost the admin
 * password. Gives the account a new one-time password (printed here, changed at next sign-in),
 * re-enables it, and ends its sessions. Works on DATABASE_URL or the embedded database.
 */
import { withCliDatabase } from '../lib/db/cli';
import { resetPasswordFromCommandLine } from '../lib/auth/user-admin';

const email = process.argv[2];
if (!email) {
  console.error('usage: npm run admin:reset-password -- <email>');
  process.exit(2);
}
await withCliDatabase(async () => {
  const result = await resetPasswordFromCommandLine(email);
  if (!result) {
    console.error(`No user with the email ${email}.`);
    process.exitCode = 1;
    return;
  }
  console.log(`One-time password for ${result.email} (${result.role.toLowerCase()}): ${result.oneTimePassword}`);
  console.log('It must be changed at the next sign-in.');
});
