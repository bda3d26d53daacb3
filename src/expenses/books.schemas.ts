// What the routes of the books share: the tag the API document lists them under, and small
// schema helpers.
import { Type, type TSchema } from 'typebox';

export const booksTags = ['Books'];

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const list = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });
export const Name = (lengthMax: number) => Type.String({ maxLength: lengthMax });
