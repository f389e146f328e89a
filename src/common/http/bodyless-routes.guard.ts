import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { CommonError, CommonErrorCode } from '../errors/error-code.js';

/**
 * A route without a body parameter (submit, approve, suspend…) takes no body: one that carries anything but
 * nothing (an empty body, `{}` or `null`, as clients send for a body-less POST) is refused with 400
 * VALIDATION_FAILED, as an unknown property of any other body is. Decided once per handler from its metadata;
 * a request without a body costs one comparison.
 */
@Injectable()
export class BodylessRoutesGuard implements CanActivate {
  private readonly takesBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (body === undefined || body === null) return true;
    if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return true;
    const handler = context.getHandler();
    let takes = this.takesBody.get(handler);
    if (takes === undefined) {
      const args: Record<string, unknown> =
        Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
      takes = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
      this.takesBody.set(handler, takes);
    }
    if (!takes) throw new CommonError(CommonErrorCode.VALIDATION_FAILED, 'This route takes no request body.');
    return true;
  }
}
