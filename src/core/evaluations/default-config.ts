import type { EvaluationConfig, RaterKind } from './criteria.js';

const ALL: RaterKind[] = ['self', 'supervisor', 'peer', 'customer'];
// Policy B 4.4: colleagues judge "teamwork, communication and the like"; customers judge service and
// satisfaction. Self and supervisor answer everything.
const WITH_PEERS: RaterKind[] = ['self', 'supervisor', 'peer'];
const INTERNAL: RaterKind[] = ['self', 'supervisor'];
const WITH_CUSTOMERS: RaterKind[] = ['self', 'supervisor', 'customer'];

// Business department operations policy, section 4: results 60%, ability 30%, attitude 10%.
export const DEFAULT_EVALUATION_CONFIG: EvaluationConfig = {
  key: 'staff-standard',
  name: { 'zh-CN': '员工绩效考核标准', en: 'Standard staff performance evaluation' },
  dimensions: [
    {
      key: 'results',
      name: { 'zh-CN': '工作业绩', en: 'Results' },
      weight: 60,
      criteria: [
        {
          key: 'targets',
          text: {
            'zh-CN': '业务指标完成情况（销售额、利润额、市场份额等）',
            en: 'Business targets met (sales, profit, market share)',
          },
          weight: 34,
          raters: INTERNAL,
        },
        {
          key: 'projects',
          text: { 'zh-CN': '项目完成情况（质量、进度、成本控制）', en: 'Project completion (quality, schedule, cost)' },
          weight: 33,
          raters: INTERNAL,
        },
        {
          key: 'satisfaction',
          text: { 'zh-CN': '客户满意度（客户反馈、问卷调查）', en: 'Customer satisfaction (feedback, surveys)' },
          weight: 33,
          raters: WITH_CUSTOMERS,
        },
      ],
    },
    {
      key: 'ability',
      name: { 'zh-CN': '工作能力', en: 'Ability' },
      weight: 30,
      criteria: [
        {
          key: 'expertise',
          text: { 'zh-CN': '专业知识与技能', en: 'Expertise and skills' },
          weight: 25,
          raters: INTERNAL,
        },
        {
          key: 'communication',
          text: { 'zh-CN': '沟通协调能力（团队成员、客户）', en: 'Communication and coordination (team, customers)' },
          weight: 25,
          raters: ALL,
        },
        { key: 'learning', text: { 'zh-CN': '学习能力', en: 'Learning' }, weight: 25, raters: INTERNAL },
        {
          key: 'problem_solving',
          text: { 'zh-CN': '问题解决能力', en: 'Problem solving' },
          weight: 25,
          raters: WITH_PEERS,
        },
      ],
    },
    {
      key: 'attitude',
      name: { 'zh-CN': '工作态度', en: 'Attitude' },
      weight: 10,
      criteria: [
        { key: 'responsibility', text: { 'zh-CN': '责任心', en: 'Responsibility' }, weight: 25, raters: WITH_PEERS },
        { key: 'teamwork', text: { 'zh-CN': '团队合作精神', en: 'Teamwork' }, weight: 25, raters: WITH_PEERS },
        { key: 'initiative', text: { 'zh-CN': '工作积极性', en: 'Initiative' }, weight: 25, raters: WITH_PEERS },
        {
          key: 'discipline',
          text: {
            'zh-CN': '遵守纪律情况（出勤、工作纪律、保密）',
            en: 'Discipline (attendance, rules, confidentiality)',
          },
          weight: 25,
          raters: INTERNAL,
        },
      ],
    },
  ],
  raterWeights: {
    monthly: { self: 30, supervisor: 70 },
    annual: { self: 20, supervisor: 50, peer: 15, customer: 15 },
  },
  // On the 1-5 scale (score / 5 × 100): S averages 4.5 or more, C is "meets expectations" (3), D below it.
  grades: [
    { label: 'S', description: { 'zh-CN': '卓越', en: 'Outstanding' }, min: 90 },
    { label: 'A', description: { 'zh-CN': '优秀', en: 'Excellent' }, min: 80 },
    { label: 'B', description: { 'zh-CN': '良好', en: 'Good' }, min: 70 },
    { label: 'C', description: { 'zh-CN': '合格', en: 'Meets expectations' }, min: 60 },
    { label: 'D', description: { 'zh-CN': '待改进', en: 'Needs improvement' }, min: 0 },
  ],
  // Policy B 4.5.2: position adjustment after repeated failures; "failure" = below C.
  positionReview: { belowScore: 60, consecutiveCycles: 2 },
  supervision: {
    dimension: 'results',
    perFindingBySeverity: { low: 0, medium: -1, high: -2, critical: -3 },
    perFindingAcceptedOnTime: 1,
    perFindingAcceptedLate: 0,
    perFindingOpenOverdue: -2,
    perRejection: -1,
    cleanInspections: 2,
    cap: { min: -15, max: 10 },
  },
};
