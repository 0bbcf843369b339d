/** Readable views of synthesized CloudFormation for assertions: IAM statements as `actions → resources` strings, env vars. */
import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation value (literal or intrinsic). */
type CfnValue = unknown;

/** Renders ARNs compactly: the stateful table/bucket imports as `<table>`/`<bucket>`, `Fn::GetAtt [X, Arn]` as `<X>`. */
export function renderArn(value: CfnValue, names: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::ImportValue'] !== undefined) {
    const name = String(v['Fn::ImportValue']);
    if (/Table/.test(name) && /Arn/.test(name)) return '<table>';
    if (/Bucket/.test(name) && /Arn/.test(name)) return '<bucket>';
    return `<import ${name}>`;
  }
  if (v['Fn::GetAtt']) return `<${names[v['Fn::GetAtt'][0]] ?? v['Fn::GetAtt'][0]}>`;
  if (v.Ref) return `<ref ${names[v.Ref] ?? v.Ref}>`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as CfnValue[]).map((part) => renderArn(part, names)).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}

/** One statement as sorted actions and rendered resources. */
export interface StatementView {
  actions: string[];
  resources: string[];
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The statements of every IAM policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string, names: Record<string, string> = {}): StatementView[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    asList(p.Properties.Roles).some((r: any) => r.Ref === roleLogicalId),
  );
  return policies.flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Record<string, any>[]).map((s) => {
      if (s.Effect !== 'Allow') throw new Error(`unexpected ${s.Effect} statement`);
      return {
        actions: asList<string>(s.Action).sort(),
        resources: asList(s.Resource).map((r) => renderArn(r, names)).sort(),
      };
    }),
  );
}

/** Every action and resource in every IAM policy of the template (to look for `*`). */
export function allPolicyStatements(template: Template): { actions: string[]; resources: CfnValue[] }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Record<string, any>[]).map((s) => ({ actions: asList<string>(s.Action), resources: asList(s.Resource) })),
  );
}
