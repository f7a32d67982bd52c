import type { RiskLevel, SecurityEvent, SecurityOutcome } from '../types.js';

/** OCSF schema version the mapping follows. */
export const OCSF_SCHEMA_VERSION = '1.3.0';

/** An OCSF event as {@link toOcsf} produces it: the base attributes plus the class's own. */
export interface OcsfEvent {
  class_uid: number;
  class_name: string;
  category_uid: number;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  severity_id: number;
  severity: string;
  risk_level_id: number;
  risk_level: string;
  status_id: number;
  status: string;
  time: number;
  message: string;
  metadata: { version: string; uid: string; event_code: string; product: { name: string; vendor_name: string } };
  actor?: { user: { uid: string } };
  src_endpoint?: { ip: string };
  http_request?: { user_agent: string };
  unmapped?: Record<string, unknown>;
  [key: string]: unknown;
}

interface ClassMapping {
  classUid: number;
  className: string;
  activity(event: SecurityEvent): [number, string];
}

const OTHER: [number, string] = [99, 'Other'];

/** HTTP method (in `details.method`) → OCSF API Activity activity. */
function apiActivity(event: SecurityEvent): [number, string] {
  const method = typeof event.details?.method === 'string' ? event.details.method.toUpperCase() : '';
  if (method === 'POST') return [1, 'Create'];
  if (method === 'GET' || method === 'HEAD') return [2, 'Read'];
  if (method === 'PUT' || method === 'PATCH') return [3, 'Update'];
  if (method === 'DELETE') return [4, 'Delete'];
  return method === '' ? [0, 'Unknown'] : OTHER;
}

/** `details.operation` (`create`, `read`, `update`, `delete`, `rename`, `open`) → File System Activity. */
function fileActivity(event: SecurityEvent): [number, string] {
  const op = typeof event.details?.operation === 'string' ? event.details.operation.toLowerCase() : 'read';
  const ids: Record<string, [number, string]> = {
    create: [1, 'Create'],
    read: [2, 'Read'],
    update: [3, 'Update'],
    write: [3, 'Update'],
    delete: [4, 'Delete'],
    rename: [5, 'Rename'],
    open: [14, 'Open'],
  };
  return ids[op] ?? OTHER;
}

function authnActivity(event: SecurityEvent): [number, string] {
  return event.action === 'authn_logout' || event.action === 'session_expired' ? [2, 'Logoff'] : [1, 'Logon'];
}

function privilegeActivity(event: SecurityEvent): [number, string] {
  return event.details?.revoked === true ? [2, 'Revoke Privileges'] : [1, 'Assign Privileges'];
}

/** OCSF class per built-in type. Privilege changes map to User Access Management whatever their type. */
const CLASSES: Readonly<Record<string, ClassMapping>> = {
  authentication: { classUid: 3002, className: 'Authentication', activity: authnActivity },
  authorization: { classUid: 3003, className: 'Authorize Session', activity: () => [1, 'Assign Privileges'] },
  privilege: { classUid: 3005, className: 'User Access Management', activity: privilegeActivity },
  file_access: { classUid: 1001, className: 'File System Activity', activity: fileActivity },
  configuration_change: { classUid: 3004, className: 'Entity Management', activity: () => [3, 'Update'] },
  hook_execution: { classUid: 1007, className: 'Process Activity', activity: () => [1, 'Launch'] },
  data_export: { classUid: 6001, className: 'Web Resources Activity', activity: () => [7, 'Export'] },
  api_access: { classUid: 6003, className: 'API Activity', activity: apiActivity },
  input_validation: { classUid: 2004, className: 'Detection Finding', activity: () => [1, 'Create'] },
  threat_detection: { classUid: 2004, className: 'Detection Finding', activity: () => [1, 'Create'] },
};
const BASE_EVENT: ClassMapping = { classUid: 0, className: 'Base Event', activity: () => OTHER };
const PRIVILEGE_ACTIONS = new Set(['authz_change', 'privilege_permissions_changed']);

const SEVERITY: Readonly<Record<RiskLevel, [number, string]>> = {
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};
const RISK: Readonly<Record<RiskLevel, [number, string]>> = {
  low: [1, 'Low'],
  medium: [2, 'Medium'],
  high: [3, 'High'],
  critical: [4, 'Critical'],
};
const STATUS: Readonly<Record<SecurityOutcome, [number, string]>> = {
  success: [1, 'Success'],
  failure: [2, 'Failure'],
  denied: [2, 'Failure'],
  blocked: [2, 'Failure'],
  unknown: [0, 'Unknown'],
};

/** Product named in `metadata.product`. */
export interface OcsfProduct {
  name: string;
  vendor_name: string;
}
const DEFAULT_PRODUCT: OcsfProduct = { name: 'Lookout', vendor_name: 'Lookout' };

/**
 * Maps a {@link SecurityEvent} onto an OCSF event: class and activity from the type (table in
 * `docs/security.md`), `severity_id` and `risk_level_id` from the risk, `status_id` from the
 * outcome, `type_uid = class_uid * 100 + activity_id`, the OWASP name in
 * `metadata.event_code`, and `details` under `unmapped`. Pure and allocation-light; never throws
 * for a valid event.
 */
export function toOcsf(event: SecurityEvent, product: OcsfProduct = DEFAULT_PRODUCT): OcsfEvent {
  const mapping = PRIVILEGE_ACTIONS.has(event.action) ? (CLASSES.privilege as ClassMapping) : (CLASSES[event.type] ?? BASE_EVENT);
  const [activityId, activityName] = mapping.activity(event);
  const [severityId, severity] = SEVERITY[event.risk] ?? SEVERITY.low;
  const [riskId, risk] = RISK[event.risk] ?? RISK.low;
  const [statusId, status] = STATUS[event.outcome] ?? STATUS.unknown;
  const out: OcsfEvent = {
    class_uid: mapping.classUid,
    class_name: mapping.className,
    category_uid: Math.floor(mapping.classUid / 1000),
    activity_id: activityId,
    activity_name: activityName,
    type_uid: mapping.classUid * 100 + activityId,
    severity_id: severityId,
    severity,
    risk_level_id: riskId,
    risk_level: risk,
    status_id: statusId,
    status,
    time: event.time,
    message: event.target === undefined ? event.action : `${event.action} ${event.target}`,
    metadata: { version: OCSF_SCHEMA_VERSION, uid: event.id, event_code: event.action, product },
  };
  if (event.outcome === 'denied' || event.outcome === 'blocked') out.status_detail = event.outcome;
  if (event.actor !== undefined) out.actor = { user: { uid: event.actor } };
  if (event.sourceIp !== undefined) out.src_endpoint = { ip: event.sourceIp };
  if (event.userAgent !== undefined) out.http_request = { user_agent: event.userAgent };
  if (event.target !== undefined) out.resource = { name: event.target };
  const unmapped: Record<string, unknown> = { lookout_type: event.type };
  if (event.details !== undefined) unmapped.details = event.details;
  out.unmapped = unmapped;
  return out;
}
