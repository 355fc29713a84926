/**
 * Auth: the Cognito user pool for partners and operations staff, its groups and the API's app client.
 *
 * Claims the handlers read (docs/CONTRACTS.md): `sub`, `cognito:groups` (`partner`, `ops`) and `custom:partnerId`.
 * `custom:partnerId` is immutable and the app client cannot write it, so a partner can never re-point their own
 * account at another partner's queue; administrators set it when they create the user. Custom attributes appear in
 * ID tokens only: clients send the ID token as the bearer token.
 * Founders have no user: they hold a per-application token checked by the handler.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export const GROUPS = { partner: 'partner', ops: 'ops' } as const;
export const PARTNER_ID_ATTRIBUTE = 'partnerId';

export interface AuthProps {
  /** Production keeps the pool (RETAIN + deletion protection). */
  readonly retainData: boolean;
}

export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts are created by operations (AdminCreateUser), never by self sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      customAttributes: {
        [PARTNER_ID_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    for (const [key, groupName] of Object.entries(GROUPS)) {
      new cognito.CfnUserPoolGroup(this, `Group${key[0]!.toUpperCase()}${key.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName,
        description: groupName === GROUPS.ops ? 'Operations staff' : 'Partner reviewers (set custom:partnerId)',
      });
    }

    const standard = new cognito.ClientAttributes().withStandardAttributes({ email: true, emailVerified: true });
    this.client = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      // No hosted UI / OAuth flows (CDK would otherwise enable implicit grant with a placeholder callback URL).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      enableTokenRevocation: true,
      readAttributes: standard.withCustomAttributes(PARTNER_ID_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Plus tier (threat protection, COG8) is not used: the pool holds a handful of partner and operations accounts created by operations, with no self sign-up and TOTP MFA required.',
    });
  }
}
