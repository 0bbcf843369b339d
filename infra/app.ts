/** The CDK app (`npx cdk synth`, see cdk.json and infra/README.md). */
import { App } from 'aws-cdk-lib';
import { addTributary } from './stacks/tributary';

const app = new App();
addTributary(app);
app.synth();
