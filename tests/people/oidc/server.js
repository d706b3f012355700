// A real OpenID Connect provider on 127.0.0.1 for the single sign-on browser test.
// Any login is accepted (oidc-provider's development sign-in form); the login typed in
// becomes the account's email, confirmed (email_verified: true), as a district's
// provider would send it. Configured by PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  cookies: { keys: ['test-only-cookie-key'] },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const [local] = id.split('@');
    const [given, family] = local.split('.');
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: id,
          email_verified: true,
          given_name: given || local,
          family_name: family || 'Tester',
          name: `${given || local} ${family || 'Tester'}`,
        };
      },
    };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
