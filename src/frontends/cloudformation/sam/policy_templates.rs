//! SAM policy templates (`- DynamoDBCrudPolicy: {TableName: !Ref T}`) as the
//! policy documents the transform writes: the actions exactly, the resources
//! with the template's parameters filled in. The common templates are
//! modelled; an unknown one is reported as a note, never guessed.

use super::{prop, text};
use crate::graph::{Part, Pseudo, ResourceRef, Unknowable, Value, ValueKind};
use crate::parse::Span;

/// One statement of a template: actions, and resource patterns where
/// `${Param}` is a template parameter and `${AWS::...}` a pseudo-parameter.
struct Statement {
    actions: &'static [&'static str],
    resources: &'static [&'static str],
}

const fn stmt(actions: &'static [&'static str], resources: &'static [&'static str]) -> Statement {
    Statement { actions, resources }
}

const DDB_TABLE: &[&str] = &[
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
];
const S3_BUCKET: &[&str] = &[
    "arn:${AWS::Partition}:s3:::${BucketName}",
    "arn:${AWS::Partition}:s3:::${BucketName}/*",
];

/// The modelled templates and their statements.
const TEMPLATES: &[(&str, &[Statement])] = &[
    (
        "DynamoDBCrudPolicy",
        &[stmt(
            &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            DDB_TABLE,
        )],
    ),
    (
        "DynamoDBReadPolicy",
        &[stmt(
            &[
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            DDB_TABLE,
        )],
    ),
    (
        "DynamoDBWritePolicy",
        &[stmt(
            &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
            ],
            DDB_TABLE,
        )],
    ),
    (
        "DynamoDBStreamReadPolicy",
        &[
            stmt(
                &[
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                ],
                &[
                    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/${StreamName}",
                ],
            ),
            stmt(
                &["dynamodb:ListStreams"],
                &[
                    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/*",
                ],
            ),
        ],
    ),
    (
        "S3CrudPolicy",
        &[stmt(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            S3_BUCKET,
        )],
    ),
    (
        "S3ReadPolicy",
        &[stmt(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            S3_BUCKET,
        )],
    ),
    (
        "S3WritePolicy",
        &[stmt(
            &["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"],
            S3_BUCKET,
        )],
    ),
    (
        "LambdaInvokePolicy",
        &[stmt(
            &["lambda:InvokeFunction"],
            &["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"],
        )],
    ),
    (
        "SQSSendMessagePolicy",
        &[stmt(
            &["sqs:SendMessage*"],
            &["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"],
        )],
    ),
    (
        "SQSPollerPolicy",
        &[stmt(
            &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            &["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"],
        )],
    ),
    (
        "SNSPublishMessagePolicy",
        &[stmt(
            &["sns:Publish"],
            &["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"],
        )],
    ),
    (
        "EventBridgePutEventsPolicy",
        &[stmt(
            &["events:PutEvents"],
            &["arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"],
        )],
    ),
    (
        "StepFunctionsExecutionPolicy",
        &[stmt(
            &["states:StartExecution"],
            &[
                "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}",
            ],
        )],
    ),
    (
        "CloudWatchPutMetricPolicy",
        &[stmt(&["cloudwatch:PutMetricData"], &["*"])],
    ),
    (
        "AWSSecretsManagerGetSecretValuePolicy",
        &[stmt(&["secretsmanager:GetSecretValue"], &["${SecretArn}"])],
    ),
    (
        "KMSDecryptPolicy",
        &[stmt(
            &["kms:Decrypt"],
            &["arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"],
        )],
    ),
    (
        "SSMParameterReadPolicy",
        &[
            stmt(&["ssm:DescribeParameters"], &["*"]),
            stmt(
                &["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                &["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"],
            ),
        ],
    ),
    (
        "VPCAccessPolicy",
        &[stmt(
            &[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DetachNetworkInterface",
            ],
            &["*"],
        )],
    ),
    (
        "ComprehendBasicAccessPolicy",
        &[stmt(
            &[
                "comprehend:BatchDetectKeyPhrases",
                "comprehend:DetectDominantLanguage",
                "comprehend:DetectEntities",
                "comprehend:BatchDetectEntities",
                "comprehend:DetectKeyPhrases",
                "comprehend:DetectSentiment",
                "comprehend:BatchDetectDominantLanguage",
                "comprehend:BatchDetectSentiment",
            ],
            &["*"],
        )],
    ),
    (
        "EFSWriteAccessPolicy",
        &[stmt(
            &["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            &[
                "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystem}",
            ],
        )],
    ),
];

/// The statements of a template, by name.
fn statements(name: &str) -> Option<&'static [Statement]> {
    TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The policy document of template `name` with `parameters` (a map), or
/// `None` when the template is not modelled.
pub fn expand(name: &str, parameters: &Value, span: Span) -> Option<Value> {
    let statements = statements(name)?;
    let list = statements
        .iter()
        .map(|s| {
            let actions = s.actions.iter().map(|a| text(span, a)).collect();
            let resources = s.resources.iter().map(|r| fill(r, parameters, span)).collect();
            Value::new(
                span,
                ValueKind::Map(vec![
                    prop("Effect", text(span, "Allow")),
                    prop("Action", Value::new(span, ValueKind::List(actions))),
                    prop("Resource", Value::new(span, ValueKind::List(resources))),
                ]),
            )
        })
        .collect();
    Some(Value::new(
        span,
        ValueKind::Map(vec![
            prop("Version", text(span, "2012-10-17")),
            prop("Statement", Value::new(span, ValueKind::List(list))),
        ]),
    ))
}

/// A resource pattern with its placeholders filled: a literal when every
/// part is known, else an interpolated string (unknown parts keep their reason).
fn fill(pattern: &str, parameters: &Value, span: Span) -> Value {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            parts.push(Part::Lit(rest[..start].to_string()));
        }
        let name = &rest[start + 2..start + len];
        parts.push(match name {
            "AWS::Partition" => Part::Lit("aws".into()),
            pseudo if pseudo.starts_with("AWS::") => Part::Unknown(match Pseudo::named(pseudo) {
                Some(p) => Unknowable::Pseudo(p),
                None => Unknowable::not_declared(pseudo),
            }),
            param => match parameters.get(param).map(|v| &v.kind) {
                Some(ValueKind::String(s)) => Part::Lit(s.clone()),
                Some(ValueKind::Ref(target)) => Part::Ref(ResourceRef {
                    target: target.target.clone(),
                    attribute: target.attribute.clone(),
                }),
                Some(ValueKind::Interp(inner)) => {
                    parts.extend(inner.iter().cloned());
                    rest = &rest[start + len + 1..];
                    continue;
                }
                _ => Part::Unknown(Unknowable::parameter_without_value(format!(
                    "{param} of the policy template"
                ))),
            },
        });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    if parts.iter().all(|p| matches!(p, Part::Lit(_))) {
        let joined: String = parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.as_str(),
                _ => "",
            })
            .collect();
        return text(span, &joined);
    }
    Value::new(span, ValueKind::Interp(parts))
}
