/**
 * Notifications: the SES sender identity and configuration set (names from context), and the one grant that lets a
 * function send: ses:SendEmail / ses:SendRawEmail on exactly that identity and that configuration set, only from the
 * configured sender address. The workflow gives it to the Notify function and the daily expiry sweep, and to no other.
 */
import { Stack, ArnFormat } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { IMailer } from './house-function.ts';

export interface NotificationsProps {
  /** Sender address; an e-mail identity is created for it (AWS mails a verification link on deploy). */
  readonly senderEmail: string;
  readonly configurationSetName: string;
  readonly opsEmail: string;
}

export class Notifications extends Construct implements IMailer {
  readonly senderEmail: string;
  readonly configurationSetName: string;
  readonly opsEmail: string;
  readonly configurationSet: ses.ConfigurationSet;
  readonly identity: ses.EmailIdentity;
  readonly identityArn: string;
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.opsEmail = props.opsEmail;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      // Bounces and complaints go to the account suppression list, so a dead address is not mailed twice.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.configurationSetName = this.configurationSet.configurationSetName;

    this.identity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });

    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: this.identity.emailIdentityName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  grantSend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [this.identityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
    });
  }
}
