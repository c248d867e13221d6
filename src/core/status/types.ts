export interface FindingRow {
  id: number;
  description: string;
  severity: string;
  status: string;
  departmentId: number;
  responsibleMemberId: number;
  createdAt: Date;
}

export interface DepartmentStatus {
  inspections: number;
  lastInspectionAt: Date | null;
  averageOverall: number | null;
  dimensionAverages: Array<{ dimensionKey: string; average: number | null }>;
  openBySeverity: Array<{ severity: string; count: number }>;
  oldestOpen: FindingRow | null;
}

export interface StatusRepo {
  /** departmentId null = the whole organisation. */
  departmentStatus(departmentId: number | null): Promise<DepartmentStatus>;
  findings(filter: {
    departmentId: number | null;
    status: 'open' | 'all';
    limit: number;
  }): Promise<{ rows: FindingRow[]; total: number }>;
}
