import { Args, ArgsType, Authorized, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { personIn } from '../../auth/access';
import { assertUserId } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { fileKey } from '../loaders';
import { toWireFileType } from '../mappers';
import { KycFileType } from '../types/enums';
import { KycFile } from '../types/kyc-file';

@ArgsType()
class KycFileArgs {
  @Field(() => ID)
  userId!: string;

  @Field(() => KycFileType)
  type!: KycFileType;
}

@Resolver(() => KycFile)
export class FileResolver {
  @Authorized(personIn('userId'))
  @Query(() => KycFile, {
    nullable: true,
    description: 'A short-lived download link for one document; null when the user has no such file.',
  })
  async kycFile(@Args(() => KycFileArgs) { userId, type }: KycFileArgs, @Ctx() ctx: RequestContext): Promise<KycFile | null> {
    const wireType = toWireFileType(type);
    const exists = await ctx.loaders.fileExists.load(fileKey(assertUserId(userId, 'userId'), wireType));
    if (!exists) return null;

    const link = await ctx.services.fileLinks.create({ userId, type: wireType });

    return { userId, type, ...link };
  }
}
