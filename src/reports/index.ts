export {
  type Artifact,
  type ArtifactFormat,
  createReportRepository,
  type ReportRecord,
  type ReportRepository,
} from "./adapters/report-repository.js";
export type { ReportDocument, ReportPeriod } from "./domain/report-document.js";
export { REPORT_STATUSES, type ReportEvent, type ReportStatus, reportTransition } from "./domain/report-lifecycle.js";
export { staffReportApi } from "./http/staff-report-api.js";
export { createReports, type GenerateRequest, type ReportStep, type Reports } from "./manage-reports.js";
export { createReportScheduler, type ReportScheduler, SCHEDULER_LOCK_KEY } from "./report-scheduler.js";
export {
  createReportSigning,
  type ReportSignaturePort,
  type ReportSigning,
  type SignatureFormat,
  type UploadVerification,
} from "./sign-reports.js";
