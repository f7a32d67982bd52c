// Generators of Prometheus rules, Alertmanager routing, Grafana dashboards and reports from budget definitions.
export { generatePrometheusRules, buildPrometheusRules, budgetAlertName, escapeGoTemplate } from './prometheusRules.js';
export type { PrometheusRulesOptions, PrometheusRule, PrometheusRuleFile } from './prometheusRules.js';
export { generateAlertmanagerConfig, renderEnvPlaceholders, ALERTMANAGER_ENV, RECEIVER_NAMES } from './alertmanager.js';
export type { AlertmanagerConfigOptions, ReceiverName, RenderedPlaceholders } from './alertmanager.js';
export { generateGrafanaDashboard, generateGrafanaDashboards, DASHBOARD_VIEWS } from './grafana.js';
export type { DashboardView, GrafanaOptions, GrafanaDashboard, GrafanaPanel } from './grafana.js';
export { collectReportFromPrometheus, collectReportFromRegistry } from './report.js';
export type { ReportData, ReportBudget, ReportError, ReportFetch, PrometheusReportOptions, RegistryReportOptions } from './report.js';
export { renderReportHtml, renderReportJson, renderReportCsv } from './renderReport.js';
export { runGenerateCommand, runReportCommand, COMMAND_EXIT } from './commands.js';
export type { CommandIo } from './commands.js';
export { budgetExpr, promSelector, escapePromqlString } from './promql.js';
export type { LabelMatcher, BudgetPromqlOptions } from './promql.js';
export { toYaml, yamlString } from './yaml.js';
export { formatBudgetValue } from './format.js';
