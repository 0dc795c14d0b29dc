/**
 * detectColumns on the column layouts of typical labelled data sets. Each table is small enough to
 * check the heuristics by hand: label = a label-like name with categorical values, else the
 * categorical column with the fewest distinct values; text = a text-like name, else the longest.
 */
import { describe, expect, it } from 'vitest';
import { columnStats, detectColumns, isCategorical } from '../../../src/core/data/columnDetection';
import { parseCsvTable, type CsvTable } from '../../../src/core/data/csvTable';

const table = (text: string): CsvTable => parseCsvTable(text);

describe('detectColumns', () => {
  it('text,label', () => {
    expect(detectColumns(table('text,label\ngreat film,pos\nawful,neg\nfine I guess,pos\n'))).toEqual({ text: 'text', label: 'label' });
  });

  it('label first: label,text', () => {
    expect(detectColumns(table('label,text\n1,great film\n0,awful\n1,fine I guess\n0,boring\n'))).toEqual({ text: 'text', label: 'label' });
  });

  it('sentence,sentiment (SST-2 style)', () => {
    expect(detectColumns(table('sentence\tsentiment\nit is a gem\tpositive\ndull\tnegative\nwarm and funny\tpositive\n'))).toEqual({
      text: 'sentence',
      label: 'sentiment',
    });
  });

  it('id,review,stars: ten reviews with five star values', () => {
    const rows = [5, 4, 1, 2, 3, 5, 5, 1, 4, 3].map((stars, i) => `${100 + i},"review number ${i}, quite long",${stars}`);
    const t = table(['id,review,stars', ...rows].join('\n'));
    expect(columnStats(t).find((s) => s.name === 'stars')).toEqual({ name: 'stars', filled: 10, distinct: 5, averageLength: 1, numeric: true });
    expect(detectColumns(t)).toEqual({ text: 'review', label: 'stars' });
  });

  it('words of a name count: airline_sentiment and text among other columns', () => {
    const t = table(
      'tweet_id,airline_sentiment,airline,text\n' +
        '1,negative,United,@united my bag is lost\n' +
        '2,positive,Delta,@delta thanks for the upgrade\n' +
        '3,neutral,United,@united what time is boarding\n' +
        '4,negative,Delta,@delta delayed again\n',
    );
    expect(detectColumns(t)).toEqual({ text: 'text', label: 'airline_sentiment' });
  });

  it('exact names beat word matches: Rating over "Class Name", "Review Text" over the shorter Title', () => {
    const rows = [5, 4, 5, 3, 4, 5, 2, 5].map((r, i) => `${i},${30 + i},Nice,"I ordered this dress in size ${i} and it fits well",${r},Dresses`);
    const t = table(['Clothing ID,Age,Title,Review Text,Rating,Class Name', ...rows].join('\n'));
    expect(detectColumns(t)).toEqual({ text: 'Review Text', label: 'Rating' });
  });

  it('AG News style: "Class Index", Title, Description', () => {
    const t = table('Class Index,Title,Description\n3,Wall St. Bears Claw Back,Short-sellers are seeing green again.\n4,New chip,A faster processor was announced today.\n3,Oil prices,Crude rose on supply fears this week.\n1,Election,Voters went to the polls on Sunday.\n');
    expect(detectColumns(t)).toEqual({ text: 'Description', label: 'Class Index' });
  });

  it('no telling names (SMS spam v1,v2): the categorical column and the longest text', () => {
    const t = table('v1,v2\nham,Go until jurong point crazy\nspam,WINNER!! You have been selected\nham,Ok lar joking wif u oni\nham,U dun say so early hor\n');
    expect(detectColumns(t)).toEqual({ text: 'v2', label: 'v1' });
  });

  it('no names at all: numeric ids are never the text; the fewest-valued categorical column is the label', () => {
    const t = table(
      'a,b,c,d\n' +
        '1,the first rather long sentence,x,p\n' +
        '2,another long sentence here,y,q\n' +
        '3,and a third long sentence,x,r\n' +
        '4,the fourth long sentence,y,p\n' +
        '5,a fifth long sentence,x,q\n' +
        '6,the sixth long sentence,y,r\n',
    );
    expect(detectColumns(t)).toEqual({ text: 'b', label: 'c' });
  });

  it('a named label column with a single class is still chosen (readLabeledCsv then says why it cannot train)', () => {
    expect(detectColumns(table('text,label\na,pos\nb,pos\nc,pos\n'))).toEqual({ text: 'text', label: 'label' });
  });

  it('a column named like a text column is not taken as the label just because it repeats', () => {
    expect(detectColumns(table('text,category\nsame,a\nsame,b\nother,a\nother,b\n'))).toEqual({ text: 'text', label: 'category' });
  });

  it('honours a fixed choice and detects the other column', () => {
    const t = table('label,text,topic\npos,great film,film\nneg,awful,film\npos,nice song,music\nneg,bad song,music\n');
    expect(detectColumns(t)).toEqual({ text: 'text', label: 'label' });
    expect(detectColumns(t, { label: 'topic' })).toEqual({ text: 'text', label: 'topic' });
    expect(detectColumns(t, { text: 'topic' })).toEqual({ text: 'topic', label: 'label' });
    expect(detectColumns(t, { text: 'text', label: 'text' })).toBeUndefined();
  });

  it('gives up when there is no sensible pair', () => {
    expect(detectColumns(table('text\nhello\nworld\n'))).toBeUndefined();
    expect(detectColumns(table('id,label\n1,a\n2,b\n3,a\n4,b\n'))).toBeUndefined();
    // Every value distinct and long: nothing looks like a label.
    expect(detectColumns(table('a,b\nfirst long sentence,second long sentence\nthird long sentence,fourth long sentence\nfifth one,sixth one\n'))).toBeUndefined();
    // A "y" of all-different numbers (a regression target) is not a label.
    const regression = ['text,y', ...Array.from({ length: 60 }, (_, i) => `sentence ${i},${(i * 0.37).toFixed(2)}`)].join('\n');
    expect(detectColumns(table(regression))).toBeUndefined();
  });
});

describe('isCategorical', () => {
  const stats = (distinct: number, filled: number, averageLength = 3) => ({ name: 'c', filled, distinct, averageLength, numeric: false });
  it('2–50 short distinct values, at most half the filled rows (two values always count)', () => {
    expect(isCategorical(stats(2, 2))).toBe(true);
    expect(isCategorical(stats(2, 3))).toBe(true);
    expect(isCategorical(stats(3, 5))).toBe(false);
    expect(isCategorical(stats(50, 100))).toBe(true);
    expect(isCategorical(stats(51, 1000))).toBe(false);
    expect(isCategorical(stats(1, 10))).toBe(false);
    expect(isCategorical(stats(2, 10, 51))).toBe(false);
  });
});

describe('text-to-text files', () => {
  it('take a column named like an answer as the label when no column is categorical', async () => {
    const { readTable: read } = await import('../../../src/core/data/readTable');
    const words = ['apple', 'river', 'stone', 'cloud', 'green', 'table', 'music', 'paper', 'horse', 'light', 'water', 'bread'];
    const csv = `question,answer\n${words.map((w) => `"Repeat the word: ${w}",${w}`).join('\n')}\n`;
    expect(detectColumns(read(new TextEncoder().encode(csv), { fileName: 'qa.csv' }).table)).toEqual({ text: 'question', label: 'answer' });
  });
});
