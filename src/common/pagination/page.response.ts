import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

const pages = new Map<Type, Type>();

/**
 * The OpenAPI shape of `Page<T>` for a response DTO (`{ data: T[], nextCursor }`), one class per DTO so that
 * generated clients get a typed page for every list route.
 */
export function PageOf<T>(item: Type<T>): Type {
  const known = pages.get(item);
  if (known) return known;
  class PageResponse {
    @ApiProperty({ type: [item] })
    data!: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Pass as `?cursor=` for the next page.' })
    nextCursor!: string | null;

    @ApiProperty({
      type: Number,
      required: false,
      description: 'With `?includeTotal=true`: the matching items.',
    })
    total?: number;
  }
  Object.defineProperty(PageResponse, 'name', { value: `${item.name.replace(/Dto$/, '')}Page` });
  pages.set(item, PageResponse);
  return PageResponse;
}
