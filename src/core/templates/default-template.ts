import type { ChecklistTemplate } from './schema.js';

// The five dimensions and fifteen items of the operations-supervision policy, section 4.
export const DEFAULT_TEMPLATE: ChecklistTemplate = {
  key: 'ops-standard',
  name: { 'zh-CN': '运营督导标准检查表', en: 'Standard operations checklist' },
  failAtOrBelow: 2,
  dimensions: [
    {
      key: 'process',
      name: { 'zh-CN': '业务流程规范', en: 'Business process' },
      items: [
        {
          key: 'completeness',
          text: { 'zh-CN': '流程完整性：无缺失环节', en: 'Completeness: no missing steps' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
        {
          key: 'reasonableness',
          text: { 'zh-CN': '流程合理性：无冗余环节', en: 'Reasonableness: no redundant steps' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
        {
          key: 'execution',
          text: { 'zh-CN': '流程执行：按规定执行，无违规操作', en: 'Execution: done as specified, no violations' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
      ],
    },
    {
      key: 'service',
      name: { 'zh-CN': '服务质量', en: 'Service quality' },
      items: [
        {
          key: 'standards',
          text: { 'zh-CN': '服务标准执行情况', en: 'Service standards followed' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'satisfaction',
          text: { 'zh-CN': '客户满意度（调查、投诉）', en: 'Customer satisfaction (surveys, complaints)' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'improvement',
          text: { 'zh-CN': '服务改进措施落实跟踪', en: 'Service improvement measures tracked' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
      ],
    },
    {
      key: 'efficiency',
      name: { 'zh-CN': '工作效率', en: 'Work efficiency' },
      items: [
        {
          key: 'on_time',
          text: { 'zh-CN': '任务按时完成', en: 'Tasks finished on time' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'resources',
          text: { 'zh-CN': '资源利用（人、财、物）', en: 'Resource utilisation (people, material, money)' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'bottlenecks',
          text: { 'zh-CN': '瓶颈识别与流程优化', en: 'Bottlenecks found and workflow optimised' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
      ],
    },
    {
      key: 'risk',
      name: { 'zh-CN': '风险管理', en: 'Risk management' },
      items: [
        {
          key: 'identification',
          text: {
            'zh-CN': '风险识别与评估（市场、财务、运营）',
            en: 'Risks identified and assessed (market, financial, operational)',
          },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
        {
          key: 'controls',
          text: { 'zh-CN': '控制措施、预警与应急预案', en: 'Controls, early warning and contingency plans' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
        {
          key: 'monitoring',
          text: { 'zh-CN': '风险监控与应对', en: 'Monitoring and response' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
      ],
    },
    {
      key: 'teamwork',
      name: { 'zh-CN': '团队协作', en: 'Teamwork' },
      items: [
        {
          key: 'communication',
          text: { 'zh-CN': '跨部门沟通', en: 'Cross-department communication' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'cohesion',
          text: { 'zh-CN': '团队凝聚力', en: 'Team cohesion' },
          weight: 1,
          scoring: 'scale_0_5',
          noteRequiredOnFail: true,
        },
        {
          key: 'projects',
          text: { 'zh-CN': '跨部门项目进展', en: 'Cross-department project progress' },
          weight: 1,
          scoring: 'pass_fail',
          noteRequiredOnFail: true,
        },
      ],
    },
  ],
};
