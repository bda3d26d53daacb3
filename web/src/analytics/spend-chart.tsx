// One chart of the spend overview, drawn by Apache ECharts on a canvas (only the bar and pie
// charts and the parts they use are bundled), with the same figures as a table underneath
// for screen readers and for reading exact amounts, and its CSV download.
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Money } from '../api/types';
import { formatMoney } from '../format';
import { t } from '../i18n/i18n';

use([BarChart, PieChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface ChartItem {
  name: string;
  amount: Money;
  count: number;
}

/** The chart's heights only: a bar is drawn from a float, the figures shown stay exact strings. */
const heightOf = (money: Money) => Number(money.amount);

function chartOption(kind: 'bar' | 'pie', items: readonly ChartItem[]): EChartsCoreOption {
  // Tooltips drawn on the canvas (richText): the app's content security policy allows no
  // inline styles, which ECharts' HTML tooltips carry.
  const tooltip = { trigger: kind === 'pie' ? 'item' : 'axis', renderMode: 'richText' };
  if (kind === 'pie') {
    return { tooltip, series: [{ type: 'pie', radius: ['35%', '70%'], data: items.map((item) => ({ name: item.name, value: heightOf(item.amount) })) }] };
  }
  return {
    tooltip,
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: items.map((item) => item.name), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: items.map((item) => heightOf(item.amount)) }],
  };
}

function Canvas({ kind, items, label }: { kind: 'bar' | 'pie'; items: readonly ChartItem[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return undefined;
    const chart = init(element.current);
    chart.setOption(chartOption(kind, items));
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [kind, items]);
  return <div ref={element} className="spend-chart" role="img" aria-label={label} />;
}

export function SpendChart({ id, title, kind, items, csvUrl }: { id: string; title: string; kind: 'bar' | 'pie'; items: readonly ChartItem[]; csvUrl: string }) {
  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-chart={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {items.length === 0 ? <p className="muted">{t('analytics.nothing')}</p> : <Canvas kind={kind} items={items} label={title} />}
      <details>
        <summary>{t('analytics.figures')}</summary>
        <table className="responsive-table">
          <thead>
            <tr>
              <th scope="col">{t('analytics.name')}</th>
              <th scope="col" className="number">{t('analytics.amount')}</th>
              <th scope="col" className="number">{t('analytics.count')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.name}>
                <td data-label={t('analytics.name')}>{item.name}</td>
                <td data-label={t('analytics.amount')} className="number">{formatMoney(item.amount)}</td>
                <td data-label={t('analytics.count')} className="number">{item.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p>
        <a href={csvUrl} download>{t('analytics.downloadCsv')}</a>
      </p>
    </section>
  );
}
