/**
 * Pipeline alarms beyond each function's errors: fetch jobs in the dead-letter queue, and the share
 * of sources whose fetch failed, measured from the fetcher's own structured log lines:
 *   {"message":"source failed", …}        one per failed or gone source (Powertools logger.warn)
 *   {"message":"fetched","sources":N, …}  one per invocation, N = sources processed
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The CloudWatch namespace of the metrics derived from logs. */
export const METRIC_NAMESPACE = 'Tributary';

/** The fetcher's log messages the metric filters count (functions/fetcher/handler.ts). */
export const FETCHER_LOG_MESSAGES = { sourceFailed: 'source failed', fetched: 'fetched' } as const;

/** Props of the pipeline alarms. */
export interface PipelineAlarmsProps {
  deadLetterQueue: IQueue;
  fetcherLogGroup: ILogGroup;
  /** Failed sources, in percent of the sources fetched in an hour, that raise the alarm. */
  sourceFailurePercent: number;
  alarmTopic: ITopic;
}

/** The dead-letter and source-failure-rate alarms, both notifying the alarm topic. */
export class PipelineAlarms extends Construct {
  /** Any fetch job in the dead-letter queue (its invocation failed every attempt, or it grew too old). */
  readonly deadLetterAlarm: Alarm;
  /** Too many sources failing over an hour. */
  readonly sourceFailureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: "Tributary: a fetch job reached the dead-letter queue (the fetcher's invocation failed every retry, or the job expired); its sources are fetched again when next due",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const failed = new MetricFilter(this, 'SourceFailedFilter', {
      logGroup: props.fetcherLogGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', FETCHER_LOG_MESSAGES.sourceFailed),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'SourcesFailed',
      metricValue: '1',
    });
    const fetched = new MetricFilter(this, 'SourcesFetchedFilter', {
      logGroup: props.fetcherLogGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', FETCHER_LOG_MESSAGES.fetched),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'SourcesFetched',
      metricValue: '$.sources',
    });
    const period = Duration.hours(1);
    const failureRate = new MathExpression({
      label: 'Failed sources (%)',
      expression: 'IF(fetched > 0, 100 * FILL(failed, 0) / fetched, 0)',
      usingMetrics: {
        failed: failed.metric({ statistic: 'Sum', period }),
        fetched: fetched.metric({ statistic: 'Sum', period }),
      },
      period,
    });
    this.sourceFailureAlarm = new Alarm(this, 'SourceFailureRateAlarm', {
      alarmDescription: `Tributary: ≥ ${props.sourceFailurePercent}% of the sources fetched in the last hour failed (fetcher "source failed" log lines / "fetched" sources)`,
      metric: failureRate,
      threshold: props.sourceFailurePercent,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.deadLetterAlarm, this.sourceFailureAlarm]) alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
