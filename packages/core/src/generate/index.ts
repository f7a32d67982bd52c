// Generators of Prometheus rules, Alertmanager routing, Grafana dashboards and reports from budget definitions.
export {};
