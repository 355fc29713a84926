/**
 * Data: the single DynamoDB table. Its key schema, indexes and TTL attribute come from the key-design module
 * that the repository uses too (functions/adapters/dynamo/keys.ts).
 *
 * Encryption: the AWS managed key (`aws/dynamodb`). Every use of it is logged in CloudTrail and it needs no key policy,
 * rotation or per-key cost; a customer managed key would only pay off for cross-account access or crypto-shredding,
 * neither of which this service has. Switching later is an in-place table update.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEX_LIST, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/adapters/dynamo/keys.ts';

export interface DataProps {
  /** Production keeps the table (RETAIN + deletion protection); other stages may be torn down. */
  readonly retainData: boolean;
}

export class Data extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const S = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: S },
      sortKey: { name: TABLE_KEYS.sortKey, type: S },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of INDEX_LIST) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: S },
        sortKey: { name: index.sortKey, type: S },
        // What each index carries is part of the key design: the list views read only what they show.
        projectionType: index.projection.type === 'KEYS_ONLY' ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.INCLUDE,
        ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.attributes] } : {}),
      });
    }
  }
}
