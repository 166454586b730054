import { type Channel, JUDGMENTS, type Judgment } from "../../shared/domain.js";
import { AppError } from "../../shared/errors.js";
import type { ReportInputs } from "./report-document.js";
import type { CellSheet } from "./suppression.js";
import { emptyTally, type ServiceTally, serviceTotal, type Tally, tallyTotal } from "./tally.js";

/**
 * First pass of `buildReport`: the office → desk → service → channel tree
 * with every count registered in a `CellSheet` together with the relations
 * that tie it to others (row = sum of judgments, parent = sum of children),
 * so that suppression can be decided for the whole report at once.
 */

/** A row of three judgment cells (ids in the sheet) and its exact total. */
export interface RowRef {
  total: number;
  cells: Record<Judgment, number>;
}

export interface ReasonRef {
  code: string | null;
  label: string;
  cell: number;
}

export interface DraftChannel {
  channel: Channel;
  row: RowRef;
  served: number | null;
}

export type CatalogueService = ReportInputs["catalogue"]["services"][number];

export interface DraftService {
  service: CatalogueService;
  name: string;
  row: RowRef;
  channels: DraftChannel[];
  reasons: ReasonRef[];
}

export interface DraftDesk {
  id: string | null;
  name: string;
  row: RowRef;
  services: DraftService[];
}

export interface DraftOffice {
  id: string;
  name: string;
  row: RowRef;
  desks: DraftDesk[];
}

/** Adds a row's three cells and the relation "they add up to the exact total". */
export function addRow(sheet: CellSheet, tally: Tally, hidden = false): RowRef {
  const cells = {
    positive: sheet.add(tally.positive, { hidden }),
    sufficient: sheet.add(tally.sufficient, { hidden }),
    negative: sheet.add(tally.negative, { hidden }),
  };
  const total = tallyTotal(tally);
  sheet.row([cells.positive, cells.sufficient, cells.negative], total);
  return { total, cells };
}

/** Declares, judgment by judgment, that `parent` is the sum of `children`. */
export function relateSum(sheet: CellSheet, parent: RowRef, children: readonly RowRef[]): void {
  for (const judgment of JUDGMENTS)
    sheet.sum(
      parent.cells[judgment],
      children.map((child) => child.cells[judgment]),
    );
}

/** A new row holding the sum of `children`, related to them. */
export function sumRow(sheet: CellSheet, children: readonly RowRef[]): RowRef {
  const count = (judgment: Judgment) => children.reduce((sum, child) => sum + sheet.count(child.cells[judgment]), 0);
  const row = addRow(sheet, {
    positive: count("positive"),
    sufficient: count("sufficient"),
    negative: count("negative"),
  });
  relateSum(sheet, row, children);
  return row;
}

export interface TreeContext {
  sheet: CellSheet;
  current: Map<string, ServiceTally>;
  /** Users served per `serviceId|channel`. */
  served: Map<string, number>;
  /** Reason codes and labels, in report order, "no reason" last. */
  reasons: ReadonlyArray<{ code: string | null; label: string }>;
  serviceName(service: CatalogueService): string;
  noDeskName: string;
}

export const CHANNEL_ORDER: readonly Channel[] = ["desk", "web", "phone"];

function draftService(context: TreeContext, service: CatalogueService): DraftService {
  const { sheet } = context;
  const tally = context.current.get(service.id);
  const channels = CHANNEL_ORDER.flatMap((channel): DraftChannel[] => {
    const votes = tally?.channels.get(channel);
    const served = context.served.get(`${service.id}|${channel}`) ?? null;
    if (!votes && served === null) return [];
    return [{ channel, row: addRow(sheet, votes ?? emptyTally()), served }];
  });
  const row = sumRow(
    sheet,
    channels.map((channel) => channel.row),
  );
  const reasons = context.reasons.map(({ code, label }) => ({
    code,
    label,
    cell: sheet.add(tally?.reasons.get(code) ?? 0),
  }));
  // The reasons of the negative votes add up to the negative cell.
  sheet.sum(
    row.cells.negative,
    reasons.map((reason) => reason.cell),
  );
  return { service, name: context.serviceName(service), row, channels, reasons };
}

function inconsistent(message: string): AppError {
  return new AppError("INTERNAL_ERROR", `report inputs are inconsistent: ${message}`);
}

/**
 * The services shown (active ones, and inactive ones with votes) grouped by
 * office and desk, in catalogue order; the desk-less group comes last in its
 * office. Offices and desks without a shown service are left out.
 */
export function draftOffices(context: TreeContext, inputs: ReportInputs): DraftOffice[] {
  const { offices, desks, services } = inputs.catalogue;
  const known = new Set(services.map((service) => service.id));
  for (const serviceId of context.current.keys()) {
    if (!known.has(serviceId)) throw inconsistent(`votes for service ${serviceId}, which is not in the catalogue`);
  }
  const hasVotes = (id: string) => tallyTotal(serviceTotal(context.current.get(id))) > 0;
  const shown = services.filter((service) => service.active || hasVotes(service.id));
  for (const service of shown) {
    if (!offices.some((office) => office.id === service.officeId)) throw inconsistent(`office ${service.officeId}`);
    const desk = desks.find((candidate) => candidate.id === service.deskId);
    if (service.deskId !== null && desk?.officeId !== service.officeId) throw inconsistent(`desk ${service.deskId}`);
  }
  return offices.flatMap((office): DraftOffice[] => {
    const here = shown.filter((service) => service.officeId === office.id);
    const groups = [...desks.filter((desk) => desk.officeId === office.id), { id: null, name: context.noDeskName }];
    const draftDesks = groups.flatMap((desk): DraftDesk[] => {
      const atDesk = here.filter((service) => service.deskId === desk.id).map((s) => draftService(context, s));
      if (atDesk.length === 0) return [];
      return [
        {
          id: desk.id,
          name: desk.name,
          row: sumRow(
            context.sheet,
            atDesk.map((s) => s.row),
          ),
          services: atDesk,
        },
      ];
    });
    if (draftDesks.length === 0) return [];
    return [
      {
        id: office.id,
        name: office.name,
        row: sumRow(
          context.sheet,
          draftDesks.map((d) => d.row),
        ),
        desks: draftDesks,
      },
    ];
  });
}

/** Every service shown in the tree, in tree order. */
export function servicesOf(offices: readonly DraftOffice[]): DraftService[] {
  return offices.flatMap((office) => office.desks.flatMap((desk) => desk.services));
}
